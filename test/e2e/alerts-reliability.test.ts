// Issue 11's reliability tests with the hub's alert log on SQLite (its data folder): alertsReliabilitySuite.ts.
import { alertsReliabilitySuite, sqliteHubLog } from './alertsReliabilitySuite';

alertsReliabilitySuite('SQLite', () => Promise.resolve(sqliteHubLog()));
