export { default as mysqlSource } from './source-connector.js';
export { default as mysqlTarget } from './target-connector.js';
