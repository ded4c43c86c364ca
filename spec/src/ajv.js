// @ts-check
// The one ajv set-up of the repository. Plain JavaScript typed with JSDoc, and free of side
// effects, so the build's scripts can use it before tsc has compiled anything: the vocabulary's
// validator is compiled with it (scripts/sandbox-vocabulary.mjs), and the spec module (index.ts)
// builds its ajv, the one with the contract loaded, from it.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** @import { Options } from "ajv/dist/2020.js" */

/** How every ajv instance of the repository validates: strict, every error, formats on. */
export const ajvOptions = /** @type {const} */ ({
  allErrors: true,
  strict: true,
  allowUnionTypes: true,
});

/**
 * A strict 2020-12 ajv with formats, and `document`, if given, loaded as `contract`. Extra options
 * only change how code is generated (`code: { source: true, esm: true }` for standalone validators,
 * say), never what validates: `ajvOptions` win over them.
 *
 * @param {Options} [extraOptions]
 * @param {{ [key: string]: unknown }} [document]
 * @returns {Ajv2020}
 */
export function setUpAjv(extraOptions = {}, document = undefined) {
  // Strict, so a misspelt schema keyword fails loudly instead of being ignored. The document's own
  // top-level fields are declared as keywords so the whole document can be loaded once and every
  // schema in it compiled by pointer.
  const instance = new Ajv2020({ ...extraOptions, ...ajvOptions });
  addFormats.default(instance);
  if (document) {
    for (const field of Object.keys(document)) instance.addKeyword(field);
    instance.addSchema(document, "contract");
  }
  return instance;
}
