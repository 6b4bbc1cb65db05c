// Electronegativity findings against the reviewed exceptions in electronegativity.config.json. An exception names a
// rule AND a file, with its justification: the same rule firing in another file is a new finding and fails the scan.
import { z } from 'zod';

/** Name the scanner gives findings that concern the whole project, not one file (the global CSP check). */
export const globalFile = '(global)';

const configSchema = z.object({
  $comment: z.string().optional(),
  justified: z.array(
    z.strictObject({
      rule: z.string().regex(/^[A-Z_]+$/),
      file: z.string().min(1),
      justification: z.string().min(40),
    }),
  ),
});

/** Parse the configuration; throws a readable error when it is not the expected shape. */
export function parseConfig(json) {
  const result = configSchema.safeParse(json);
  if (!result.success) {
    throw new Error(`electronegativity.config.json invalide : ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Findings from electronegativity's SARIF, each with a repository-relative file (scan input: `inputDir`). */
export function findingsFromSarif(sarif, inputDir = 'electron') {
  return (sarif.runs ?? [])
    .flatMap((run) => run.results ?? [])
    .map((result) => {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri ?? '';
      const isGlobal = uri === '' || uri.startsWith('file://') || uri === 'N/A';
      return {
        rule: String(result.ruleId),
        severity: result.level ?? '',
        file: isGlobal ? globalFile : `${inputDir}/${uri.replace(/^\.?\//, '').replaceAll('\\', '/')}`,
        line: Number(location?.region?.startLine ?? 0),
      };
    });
}

/**
 * Split findings into justified and unjustified, and list exceptions no finding used (stale: remove them, so an
 * exception never waits silently for a future finding).
 */
export function classify(findings, config) {
  const key = (rule, file) => `${rule} ${file}`;
  const exceptions = new Map(config.justified.map((entry) => [key(entry.rule, entry.file), entry]));
  const used = new Set();
  const justified = [];
  const unjustified = [];
  for (const finding of findings) {
    const k = key(finding.rule, finding.file);
    if (exceptions.has(k)) {
      used.add(k);
      justified.push(finding);
    } else {
      unjustified.push(finding);
    }
  }
  const unused = config.justified.filter((entry) => !used.has(key(entry.rule, entry.file)));
  return { justified, unjustified, unused };
}
