export { databaseTargets, createScratchPostgres, uniqueSlug, type DatabaseTargetCase } from './database-targets.js';
