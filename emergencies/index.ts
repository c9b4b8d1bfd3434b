/**
 * Registered emergencies (issue 9, item 5): the hub registers a declaration once, signs it, and keeps it;
 * the gateway resolves the analyst's `Accord-Emergency: EMG-…` against it; the audit tools list it for
 * review. See docs/decisions/0015-registered-emergencies.md.
 */
export {
  REGISTRATION_ID,
  isRegistrationId,
  registrationView,
  type EmergencyRegistration,
} from './registration';
export {
  registrationWindowHours,
  registrationReviewHours,
  DEFAULT_WINDOW_HOURS,
  DEFAULT_REVIEW_HOURS,
} from './window';
export { registrationKeyFiles } from './keys';
export {
  openEmergencyRegistry,
  openEmergencyReader,
  registryFile,
  RegistrationRefused,
  type Declaration,
  type EmergencyRegistry,
  type EmergencyReader,
} from './registry';
