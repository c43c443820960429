export * from './partner-adapter.js';
export * from './profile/partner-profile.js';
export * from './profile/profile-loader.js';
export * from './common/code-list.js';
export * from './common/code-lists.js';
export * from './common/json-reader.js';
export * from './common/decoded-message.js';
export * from './registry.js';
