export * from './limits.js';
export * from './text-input.js';
export * from './xml/xml-element.js';
export * from './xml/safe-xml-parser.js';
export * from './xml/xml-serializer.js';
export * from './json/safe-json.js';
export * from './schema/canonical-schema.js';
export * from './canonical-json-codec.js';
