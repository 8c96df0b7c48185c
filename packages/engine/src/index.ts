export { parse, readDocument, type Reader } from './parse.ts';
export { detectFormat, formatFromName, type Format } from './format.ts';
export { EngineError, ERROR_STATUS, type EngineErrorName } from './errors.ts';
export type * from './model.ts';
export type * from './options.ts';
export type * from './result.ts';
