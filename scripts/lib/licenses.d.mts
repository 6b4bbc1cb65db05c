/** The lock-file key of the package a bundled file belongs to (`node_modules/@scope/name`, nesting kept), if any. */
export declare function packageDirOf(file: string): string | undefined;
/** Writes the notices of every shipped package (production packages and `bundled` lock-file keys) to `outFile`. */
export declare function writeThirdPartyLicenses(root: string, outFile: string, bundled?: ReadonlySet<string>): void;
