/** The repository root, symlinks resolved. */
export declare const repoRoot: string;
/** True when the module at `importMetaUrl` is the script Node was started with. */
export declare function isMainModule(importMetaUrl: string, argv1?: string): boolean;
