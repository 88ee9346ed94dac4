export { default as mysqlSource } from './source.js';
export { default as mysqlTarget } from './target.js';
