// Type-checks the consumer under each tsconfig given, with this project's own TypeScript, in one
// process. skipLibCheck is off, so declaration files are checked: the diagnostics asked for are the
// consumer's files' and every @loops-contract declaration's in the program. Third-party
// declarations are read as far as those use them, not checked in full: their errors are their
// authors' (and checking them once per setting would cost several times the rest).
// Prints, per tsconfig, the packages whose declarations were checked, whether @types/node is in
// the program (declared or pulled in by a declaration), and the errors.
import { dirname, relative, resolve } from "node:path";
import ts from "typescript";

const scope = "/node_modules/@loops-contract/";
const isOurs = (fileName) => !fileName.includes("/node_modules/") || fileName.includes(scope);
const formatHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => "\n",
};

// The settings share most declaration files (TypeScript's libs, @types/node, msw, vitest, ours):
// each is parsed once, not once per setting, as `tsc --build` does across projects. Keyed, as
// there, by the module format the setting implies for the file, which may change how it reads.
const declarations = new Map();
function hostSharingDeclarations(options) {
  const host = ts.createCompilerHost(options);
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, ...rest) => {
    if (!/\.d\.[cm]?ts$/.test(fileName)) return parse(fileName, languageVersionOrOptions, ...rest);
    const { languageVersion, impliedNodeFormat } =
      typeof languageVersionOrOptions === "object"
        ? languageVersionOrOptions
        : { languageVersion: languageVersionOrOptions };
    const key = `${languageVersion} ${impliedNodeFormat} ${fileName}`;
    if (!declarations.has(key))
      declarations.set(key, parse(fileName, languageVersionOrOptions, ...rest));
    return declarations.get(key);
  };
  return host;
}

const report = {};
for (const tsconfig of process.argv.slice(2)) {
  const path = resolve(tsconfig);
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(path), undefined, path);
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    host: hostSharingDeclarations(parsed.options),
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
  const ours = program.getSourceFiles().filter((file) => isOurs(file.fileName));
  const diagnostics = [
    ...(error ? [error] : []),
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...ours.flatMap((file) => program.getSemanticDiagnostics(file)),
  ];
  report[tsconfig] = {
    packages: [
      ...new Set(
        ours
          .filter((file) => file.fileName.includes(scope))
          .map((file) => relative(dirname(path), file.fileName).split("/")[2]),
      ),
    ].sort(),
    nodeTypes: program
      .getSourceFiles()
      .some((file) => file.fileName.includes("/node_modules/@types/node/")),
    errors: diagnostics.map((diagnostic) => ts.formatDiagnostic(diagnostic, formatHost).trim()),
  };
}
console.log(JSON.stringify(report));
