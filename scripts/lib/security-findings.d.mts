/** One reviewed exception: a rule in a file, with why it is acceptable. */
export type Exception = { rule: string; file: string; justification: string };
/** The scanner configuration. */
export type ScanConfig = { $comment?: string; justified: Exception[] };
/** One scanner finding. */
export type Finding = { rule: string; severity: string; file: string; line: number };

/** File name of project-wide findings. */
export declare const globalFile: string;
/** Parse the configuration, or throw. */
export declare function parseConfig(json: unknown): ScanConfig;
/** Findings from electronegativity's SARIF output. */
export declare function findingsFromSarif(sarif: unknown, inputDir?: string): Finding[];
/** Justified, unjustified findings and unused exceptions. */
export declare function classify(
  findings: readonly Finding[],
  config: ScanConfig,
): { justified: Finding[]; unjustified: Finding[]; unused: Exception[] };
