// ChatJS's index.d.ts declares the global `connect` namespace (what the bundle defines on
// globalThis) but no module: importing the package only runs it for that side effect.
declare module "amazon-connect-chatjs" {}
