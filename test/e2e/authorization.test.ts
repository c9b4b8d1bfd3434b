// Agreements as law, end to end (test/e2e/authorizationSuite.ts), on an alliance without audit logs.
import { startAlliance } from '../support/alliance';
import { authorizationSuite } from './authorizationSuite';

authorizationSuite(startAlliance);
