// The authorization suite with audit logs on SQLite (one file per writer), and its records checked
// against the answers (auditTrailSuite.ts).
import { sqliteAuditBackend } from '../support/auditBackends';
import { auditTrailSuite } from './auditTrailSuite';

auditTrailSuite('SQLite', () => Promise.resolve(sqliteAuditBackend()));
