export * from './self-assessment.js';
export * from './load-self-assessment.js';
export * from './comparison.js';
export * from './compare.js';
export * from './recommendation-areas.js';
export * from './render-text.js';
export * from './render-html.js';
