// Device storage (IndexedDB). Every function throws only StorageFullError or StorageError.
export type * from './types';
export { StorageError, StorageFullError, isQuotaError } from './errors';
export { newId, closeDb, DB_NAME } from './db';
export * from './workflows';
export * from './results';
export * from './servers';
export * from './settings';
export * from './outbox';
export { exportAll, importAll, parseBackup, type BackupCounts, type ImportOutcome } from './backup';
export { storageEstimate, requestPersistence, type StorageUsage } from './estimate';
export * from './routes';
export * from './pools';
