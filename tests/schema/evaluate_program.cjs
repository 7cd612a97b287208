// Runs a Pulumi TypeScript program with every imported module stubbed and prints, as JSON, what
// it passed to the components it constructed and which of their properties it read.
//
//   node evaluate_program.cjs <typescript package dir> <program.ts> <component module>
//
// The program is transpiled by the TypeScript compiler (types dropped, nothing checked) and run
// for real, so the arguments are the values the program computes, not a pattern's guess. Values
// from stubbed modules (another resource's output, pulumi.interpolate) print as
// {"$output": "<where it came from>"}.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const [typescriptDir, programFile, componentModule] = process.argv.slice(2);
const ts = require(path.resolve(typescriptDir));

const SOURCE = Symbol("source");
const constructed = [];

// Any value a stubbed module hands out: callable, constructible, with any property.
function stub(source) {
  return new Proxy(function () {}, {
    get(_target, key) {
      if (key === SOURCE) return source;
      if (key === "then" || key === "toJSON") return undefined; // not a promise, no JSON hook
      if (key === Symbol.toPrimitive) return () => `<${source}>`;
      return stub(`${source}.${String(key)}`);
    },
    apply: (_target, _this, args) => stub(`${source}(${args.map(describe).join(", ")})`),
    construct: (_target, args) => stub(`new ${source}(${args.map(describe).join(", ")})`),
  });
}

// How a call's argument reads in a stub's source: stubs by their own source, the rest as JSON.
function describe(value) {
  if (typeof value === "function" && value[SOURCE]) return value[SOURCE];
  if (Array.isArray(value) && Array.isArray(value.raw)) return "`template`";
  if (Array.isArray(value)) return `[${value.map(describe).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${describe(v)}`).join(", ")}}`;
  }
  return JSON.stringify(value);
}

// Arguments as JSON: stubs become {"$output": source}; functions and symbols are refused.
function plain(value) {
  if (typeof value === "function" && value[SOURCE]) return { $output: value[SOURCE] };
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  if (["function", "symbol", "bigint"].includes(typeof value)) {
    throw new Error(`a ${typeof value} cannot be a package argument`);
  }
  return value;
}

// The component's SDK: every exported class records its construction; its instances record reads.
function componentSdk() {
  return new Proxy(
    {},
    {
      get(_target, className) {
        if (typeof className !== "string" || className === "__esModule") return undefined;
        return class {
          constructor(name, args, opts) {
            const record = { component: className, name, args: plain(args), reads: [] };
            if (opts !== undefined) record.opts = plain(opts);
            constructed.push(record);
            return new Proxy(this, {
              get(_target, key) {
                if (typeof key === "string") record.reads.push(key);
                return stub(`${className}(${name}).${String(key)}`);
              },
            });
          }
        };
      },
    },
  );
}

const source = fs.readFileSync(programFile, "utf8");
const { outputText, diagnostics } = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  reportDiagnostics: true,
  fileName: programFile,
});
if (diagnostics.length) {
  const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  throw new Error(`${programFile} does not parse: ${text.join("; ")}`);
}

const imported = [];
const module_ = { exports: {} };
function requireStub(name) {
  imported.push(name);
  return name === componentModule ? componentSdk() : stub(name);
}
vm.runInNewContext(outputText, { require: requireStub, module: module_, exports: module_.exports });

const exported = Object.fromEntries(
  Object.entries(module_.exports).map(([k, v]) => [k, plain(v)]),
);
process.stdout.write(JSON.stringify({ imported, constructed, exported }, null, 2) + "\n");
