// The hub's alert log (issue 11; docs/decisions/0019-alert-delivery.md): owners' signed notices, the
// register of watches and the acknowledgements, in SQLite or PostgreSQL.
export {
  REFUSAL_REASONS,
  MAX_PAGE,
  AlertLogInputError,
  type AlertLog,
  type AlertPage,
  type AppendOutcome,
  type AcknowledgeOutcome,
  type Acknowledgement,
  type CancelOutcome,
  type LoggedNotice,
  type RefusalReason,
  type RegisterOutcome,
  type WatchEntry,
  type WatchRegistration,
  type WireNotice,
} from './AlertLog';
export { openSqliteAlertLog, type SqliteAlertLogOptions } from './sqliteAlertLog';
export { openPostgresAlertLog, type PostgresAlertLogOptions } from './postgresAlertLog';
export {
  openAlertLogFromEnv,
  alertLogFile,
  ALERTS_URL_VARIABLE,
  type AlertLogFromEnvOptions,
} from './openAlertLog';
export {
  NOTICE_KEYS_VARIABLE,
  NoticeKeysError,
  folderNoticeKeys,
  noticeKeyFolder,
  noticeKeysFromEnv,
  pinnedNoticeKeys,
  type NoticeKeys,
} from './noticeKeys';
export { MAX_NOTICE_BYTES } from './readNotice';
export { BAD_CURSOR_MESSAGE } from './cursor';
