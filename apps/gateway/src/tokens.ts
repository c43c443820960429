/** DI tokens as symbols: no string collisions, and a grep finds every use. */
export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const GATEWAY_AUDIT = Symbol('GATEWAY_AUDIT');
export const API_KEYS = Symbol('API_KEYS');
export const KEY_STORE = Symbol('KEY_STORE');
export const EXCHANGE_RUNTIME = Symbol('EXCHANGE_RUNTIME');
export const STARTUP_WARNINGS = Symbol('STARTUP_WARNINGS');
export const RECOGNITION = Symbol('RECOGNITION');
export const KEY_RELOADER = Symbol('KEY_RELOADER');
