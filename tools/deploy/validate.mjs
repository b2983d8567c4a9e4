// Validates rendered Kubernetes manifests against the Kubernetes API schemas (kubernetes-models) and KEDA's
// (@kubernetes-models/keda), and prints them as JSON for the tests to inspect:
//
//   node validate.mjs rendered.yaml          ->  {"documents":[{...}], "results":[{"kind","name","schema","errors"}]}
//   node validate.mjs --parse values.yaml    ->  {"documents":[{...}], "results":[]}   (any YAML, no validation)
//
// YAML 1.1 like the Kubernetes API server's parser, so an unquoted `on` or `yes` becomes a boolean here too.
// Kinds without a schema in these packages (ServiceMonitor, PrometheusRule) come back with schema "none"; the
// tests check their required fields by hand.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const parseOnly = process.argv[2] === "--parse";
const text = readFileSync(process.argv[parseOnly ? 3 : 2], "utf8");
const documents = [];
const results = [];
for (const doc of parseAllDocuments(text, { version: "1.1", uniqueKeys: true })) {
  if (doc.errors.length > 0) {
    results.push({ kind: "?", name: "?", schema: "yaml", errors: doc.errors.map((e) => e.message) });
    continue;
  }
  const value = doc.toJS();
  if (value === null || value === undefined) continue;
  documents.push(value);
  if (!parseOnly) results.push(await validate(value));
}
process.stdout.write(JSON.stringify({ documents, results }));

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "") return `kubernetes-models/${version}/${kind}`;
  if (group === "keda.sh") return `@kubernetes-models/keda/keda.sh/${version}/${kind}`;
  if (group === "monitoring.coreos.com") return null;
  return `kubernetes-models/${group}/${version}/${kind}`;
}

async function validate(value) {
  const kind = value.kind ?? "?";
  const name = value.metadata?.name ?? "?";
  if (typeof value.apiVersion !== "string" || typeof value.kind !== "string") {
    return { kind, name, schema: "none", errors: ["apiVersion and kind are required"] };
  }
  const path = modulePath(value.apiVersion, value.kind);
  if (path === null) return { kind, name, schema: "none", errors: [] };
  let Model;
  try {
    Model = (await import(path))[value.kind];
  } catch (e) {
    return { kind, name, schema: "missing", errors: [`no schema for ${value.apiVersion} ${value.kind}: ${e.message}`] };
  }
  try {
    new Model(value).validate();
    return { kind, name, schema: path, errors: [] };
  } catch (e) {
    const details = Array.isArray(e.errors) ? e.errors.map((x) => `${x.instancePath} ${x.message} ${JSON.stringify(x.params ?? {})}`) : [];
    return { kind, name, schema: path, errors: [e.message, ...details] };
  }
}
