// dt-sql-parser 4.5.1 is published as ESM but imports directories ("./parser") the way CommonJS does, which
// Node's ESM loader refuses (ERR_UNSUPPORTED_DIR_IMPORT). This hook retries such a specifier with /index.js.
// Use: node --import ./dir-import-hook.mjs validate.mjs
import { register } from 'node:module';

register('./dir-import-resolve.mjs', import.meta.url);
