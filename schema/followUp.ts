/**
 * The formal follow-up request (issue 9), as each member's subgraph serves it: a foreign analyst who got a
 * hit on the member's records files a request with the member (the owner keeps it, subgraphs/desk), and
 * asks the status of its own requests. Generated per member like the record types, so that the request
 * goes to the owner alone: `fileFollowUpRequestKH` is served by KH's subgraph and by no other.
 *
 * None of these fields carries a `@category`: they hold the requester's own filing, never the owner's
 * records, and the owner's subgraph guards them with rules of their own
 * (subgraphs/kit/authorization/shieldSchema.ts). The enums and the input are the same in every member,
 * so composition merges them.
 */

/** `fileFollowUpRequestKH`: the mutation with which a requester files with owner `KH`. */
export function fileFollowUpRequestField(memberCode: string): string {
  return `fileFollowUpRequest${memberCode}`;
}

/** `followUpRequestsKH`: the requester's own requests filed with owner `KH`, with their status. */
export function followUpRequestsField(memberCode: string): string {
  return `followUpRequests${memberCode}`;
}

/** `supplyFollowUpInformationKH`: the requester's answer to the owner's desk asking for more information. */
export function supplyFollowUpInformationField(memberCode: string): string {
  return `supplyFollowUpInformation${memberCode}`;
}

/** `KHFollowUpRequest`: a request as its owner keeps it. */
export function followUpRequestTypeName(memberCode: string): string {
  return `${memberCode}FollowUpRequest`;
}

/** The types every member shares (identical in each subgraph). */
export const FOLLOW_UP_SHARED_SDL = `"How urgent a follow-up request is; the owner's due time follows from it (Directive (EU) 2023/977 art. 5)."
enum FollowUpUrgency {
  "Urgent, and the data is directly accessible to the owner: 8 hours unless the agreement says otherwise."
  URGENT_DIRECT
  "Urgent: 3 days unless the agreement says otherwise."
  URGENT
  "Not urgent: 7 days unless the agreement says otherwise."
  NORMAL
}

"What the requester will do with the data."
enum FollowUpIntendedUse {
  INTELLIGENCE
  EVIDENCE
}

"Where the grant an approval issued stands now."
enum FollowUpGrantStatus {
  "In force: Accord-Request-Ref with the grant id opens what it covers."
  VALID
  "Approved to start later."
  NOT_YET_VALID
  "Its validity ended."
  EXPIRED
  "The owner revoked it: it opens nothing from then on."
  REVOKED
}

"Where a follow-up request stands at its owner."
enum FollowUpRequestState {
  PENDING
  INFO_REQUESTED
  APPROVED
  REFUSED
}

"A formal follow-up request about records of which the requester received a hit."
input FollowUpRequestInput {
  "The requesting authority, e.g. Korean National Police Agency."
  authority: String!
  "The requester's case (e.g. KR-CAS-000001)."
  caseReference: String!
  "The offence(s) investigated, in words."
  offences: [String!]!
  "A summary of the facts."
  facts: String!
  "Global ids of the owner's records the request is about; each needs its hit token."
  subjects: [ID!]!
  "The data categories sought (vocabulary: person.identity, financial.accounts, ...)."
  categories: [String!]!
  "The purpose (investigation, prosecution, ...)."
  purpose: String!
  "The agreement invoked and its clauses: routes the refusals named (identity and accounts may stand on two articles)."
  agreement: String!
  clauses: [String!]!
  urgency: FollowUpUrgency!
  "Why it is urgent; required unless NORMAL."
  urgencyGrounds: String
  intendedUse: FollowUpIntendedUse!
  "How the owner should treat the request itself (e.g. do not notify the subject)."
  confidentiality: String!
  "The hit tokens the owner gave with its answers (extensions.accord.hits): one per subject."
  hitTokens: [String!]!
}`;

/** The member's own request type, its status query and its filing mutation. */
export function followUpMemberSdl(memberCode: string): string {
  const type = followUpRequestTypeName(memberCode);
  return `"A follow-up request filed with ${memberCode}, as ${memberCode} keeps it."
type ${type} {
  "${memberCode}-FUR-<year>-<number>; also the id of the grant an approval issues."
  id: ID!
  owner: String!
  requesterCountry: String!
  analyst: String!
  caseReference: String!
  subjects: [ID!]!
  categories: [String!]!
  purpose: String!
  agreement: String!
  clauses: [String!]!
  urgency: FollowUpUrgency!
  intendedUse: FollowUpIntendedUse!
  state: FollowUpRequestState!
  "When it was filed (ISO 8601, UTC)."
  filedAt: String!
  "When ${memberCode} should have decided (ISO 8601, UTC)."
  dueAt: String!
  "Undecided after its due time."
  overdue: Boolean!
  "The refusal's ground, when refused."
  refusalGround: String
  "The grant an approval issued: what the analyst then sends in Accord-Request-Ref."
  grantId: String
  "Where that grant stands now (revoked, expired, ...)."
  grantStatus: FollowUpGrantStatus
  "What the owner approved: the categories (a subset of those requested), ..."
  approvedCategories: [String!]
  "... from and until when (ISO 8601, UTC; until exclusive) ..."
  validFrom: String
  validUntil: String
  "... and whether the data may be used as evidence."
  evidentiaryUse: Boolean
  "While INFO_REQUESTED: what ${memberCode} asks; answer it with ${supplyFollowUpInformationField(memberCode)}."
  question: String
}

type Query {
  "Your own follow-up requests filed with ${memberCode} (your country and analyst id), oldest first."
  ${followUpRequestsField(memberCode)}: [${type}!]!
}

type Mutation {
  "Files a formal follow-up request with ${memberCode} about records of ${memberCode} you received a hit on."
  ${fileFollowUpRequestField(memberCode)}(input: FollowUpRequestInput!): ${type}!
  "Answers ${memberCode}'s request for more information about one of your follow-up requests; it goes back to ${memberCode}'s officers."
  ${supplyFollowUpInformationField(memberCode)}(id: ID!, information: String!): ${type}!
}`;
}
