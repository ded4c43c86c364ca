// Bundles the mock with Prism into dist/ (types come from tsc). One file loads faster than
// Prism's few hundred modules, and the modules below, which a static mock never runs, are
// evaluated on first use instead of at start-up.
import { createHash } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { contract } from "@loops-contract/spec";
import { getHttpOperationsFromSpec } from "@stoplight/prism-http";
import { build } from "esbuild";

const deferred = [
  // Only dynamic mode generates data; loading every faker locale is most of Prism's load time.
  /^@faker-js\/faker(\/.*)?$/,
  // Prism reads Postman collections too; the mock serves an OpenAPI document.
  /^postman-collection$/,
];

/** The deferred modules, by the file each is bundled to in dist/deferred/. */
const deferredFiles = new Map();

/**
 * Each import of a deferred module becomes a stand-in that requires it, from its own bundle so
 * that start-up does not even parse it, on first access. Its `default` export is deferred as
 * well: json-schema-faker keeps a reference to faker's at load.
 */
const deferModules = {
  name: "defer-modules",
  setup(builder) {
    builder.onResolve({ filter: /^\.\/deferred\// }, (args) => ({
      path: args.path,
      external: true,
    }));
    for (const filter of deferred) {
      builder.onResolve({ filter }, async (args) => {
        if (args.namespace === "deferred") return undefined;
        const real = await builder.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          namespace: "deferred",
        });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: "deferred" };
      });
    }
    builder.onLoad({ filter: /.*/, namespace: "deferred" }, (args) => {
      const file = `${createHash("sha256").update(args.path).digest("hex").slice(0, 12)}.cjs`;
      deferredFiles.set(file, args.path);
      return {
        resolveDir: "/",
        loader: "js",
        contents: `
        let real;
        const load = () => (real ??= require("./deferred/${file}"));
        const forward = (target) => ({
          get: (_, key) => Reflect.get(target(), key),
          set: (_, key, value) => Reflect.set(target(), key, value),
          has: (_, key) => Reflect.has(target(), key),
          ownKeys: () => Reflect.ownKeys(target()),
          getOwnPropertyDescriptor: (_, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
            return descriptor && { ...descriptor, configurable: true };
          },
        });
        const lazyDefault = new Proxy({}, forward(() => load().default));
        module.exports = new Proxy({}, {
          ...forward(load),
          get: (_, key) => (key === "default" ? lazyDefault : Reflect.get(load(), key)),
        });`,
      };
    });
  },
};

/** jsonc-parser's `main` is a UMD build whose requires esbuild cannot follow: its ES build. */
const jsoncParserEsm = {
  name: "jsonc-parser-esm",
  setup(builder) {
    builder.onResolve({ filter: /^jsonc-parser$/ }, (args) =>
      builder.resolve("jsonc-parser/lib/esm/main.js", {
        kind: args.kind,
        resolveDir: args.resolveDir,
      }),
    );
  },
};

// Chunk names change with their content: last build's would stay beside this one's and be packed.
await rm("dist", { recursive: true, force: true });
await build({
  entryPoints: ["src/index.ts", "src/cli.ts", "src/msw.ts", "src/vitest.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // Less to parse at start-up; identifiers are kept so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  // The contract module is shared with whoever imports the mock; msw and vitest are the user's own, peers.
  external: ["@loops-contract/spec", "msw", "vitest"],
  // tr46 and whatwg-url require("punycode"), which Node resolves to its deprecated built-in
  // (DEP0040 on Node 22+); the trailing slash names the userland package, bundled instead.
  alias: { punycode: "punycode/" },
  // Prism is CommonJS: its `require`s of Node's modules need a `require` in an ES module.
  banner: {
    js: 'import { createRequire as __mockCreateRequire } from "node:module"; const require = __mockCreateRequire(import.meta.url);',
  },
  plugins: [deferModules, jsoncParserEsm],
});

for (const [file, source] of deferredFiles) {
  await build({
    entryPoints: [source],
    outfile: `dist/deferred/${file}`,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
}

// Prism's reading of the contract, stored for start-up (see prismOperationsOf in src/responders/prism.ts).
const { contractHash } = await import("../dist/index.js");
await writeFile(
  "dist/prism-operations.json",
  JSON.stringify({
    contract: contractHash(contract),
    operations: await getHttpOperationsFromSpec(structuredClone(contract)),
  }),
);
