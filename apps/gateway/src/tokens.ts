/** DI tokens as symbols: no string collisions, and a grep finds every use. */
export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
