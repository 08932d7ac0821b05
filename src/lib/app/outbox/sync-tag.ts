/** The Background Sync tag of the outbox; static/outbox-sync.js listens for the same string. */
export const SYNC_TAG = 'comfy-pocket-outbox';
