/** A native addon and a snippet that fails unless its binary loads in the running runtime. */
export type NativeModule = { name: string; probe: string; isOptional: boolean };
/** A JavaScript runtime that may load addons: Node, or Electron run as Node. */
export type Runtime = { key: string; command: string; env: NodeJS.ProcessEnv };

/** The addons the app loads. */
export declare const nativeModules: readonly NativeModule[];
/** Node itself. */
export declare function nodeRuntime(): Runtime;
/** Electron's binary run as plain Node. */
export declare function electronRuntime(binary: string, version: string): Runtime;
/** Modules installed under `root`. */
export declare function installedModules(root: string, modules?: readonly NativeModule[]): NativeModule[];
/** True when the module's binary loads in `runtime`. */
export declare function loadsIn(root: string, runtime: Runtime, module: NativeModule): boolean;
/** Save the module's current binaries as the build for `key`. */
export declare function saveBuild(root: string, module: NativeModule, key: string): boolean;
/** Put the saved build for `key` back in place. */
export declare function restoreBuild(root: string, module: NativeModule, key: string): boolean;
/** Rebuild modules for an Electron version with @electron/rebuild. */
export declare function electronRebuild(root: string, version: string, names: string[]): Promise<void>;
/** Make every installed addon load in Electron; `restore()` puts Node's builds back. */
export declare function prepareForElectron(options: {
  root: string;
  electron: Runtime & { version: string };
  node?: Runtime;
  modules?: readonly NativeModule[];
  rebuild?: (names: string[]) => Promise<void>;
  say?: (text: string) => void;
}): Promise<{ restore(): void }>;
/** Make every installed addon load in Node again; returns the names that still fail. */
export declare function ensureNodeBuilds(options: {
  root: string;
  node?: Runtime;
  modules?: readonly NativeModule[];
  rebuild?: (name: string) => boolean;
  say?: (text: string) => void;
}): string[];
