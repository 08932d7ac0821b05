// The workflow engine's public entry points (see types.ts for the contract).
export * from './types';
export { convertToApi } from './convert';
