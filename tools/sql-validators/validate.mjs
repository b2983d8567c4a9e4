// Checks texts against real grammars and prints what they found, for the tests of `streaming ddl` and docs/queries.
//
//   node --import ./dir-import-hook.mjs validate.mjs < requests.json
//
// Standard input: a JSON array of {"kind": "hive" | "trino" | "hcl", "name": "...", "text": "..."}.
// Standard output: a JSON array, one entry per request in the same order:
//   {"name": "...", "errors": [{"line": 1, "column": 26, "message": "..."}], "json": <HCL as JSON, or null>}
// "hive" is the grammar of Athena DDL, "trino" the grammar of Athena queries (engine v3), "hcl" Terraform's syntax.
// "hive-keywords" (no text) answers with the Hive grammar's keywords in "json", for the test that every one the
// grammar reserves is quoted.
// The process exits 0 whenever it could answer; a failed check is an entry with errors, not an exit code.
import { parse } from '@cdktf/hcl2json';
import { HiveSQL, TrinoSQL } from 'dt-sql-parser';
import { HiveSqlLexer } from 'dt-sql-parser/dist/lib/hive/HiveSqlLexer.js';

const grammars = { hive: new HiveSQL(), trino: new TrinoSQL() };

async function check({ kind, name, text }) {
  if (kind === 'hcl') {
    try {
      return { name, errors: [], json: await parse(name || 'main.tf', text) };
    } catch (error) {
      return { name, errors: [{ line: 0, column: 0, message: String(error?.message ?? error) }], json: null };
    }
  }

  if (kind === 'hive-keywords') {
    const keywords = HiveSqlLexer.literalNames
      .filter(Boolean)
      .map(name => name.replaceAll("'", ''))
      .filter(name => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
    return { name, errors: [], json: keywords };
  }

  const grammar = grammars[kind];
  if (!grammar) {
    return { name, errors: [{ line: 0, column: 0, message: `unknown kind '${kind}': use hive, trino or hcl` }], json: null };
  }

  const errors = grammar.validate(text).map(e => ({ line: e.startLine, column: e.startColumn, message: e.message }));
  return { name, errors, json: null };
}

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}

const requests = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const answers = [];
for (const request of requests) {
  answers.push(await check(request));
}

process.stdout.write(JSON.stringify(answers));
