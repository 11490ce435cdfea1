export function electronBinary(): { path: string; reason?: undefined } | { path?: undefined; reason: string };
export function installElectron():
  { path: string; reason?: undefined } | { path?: undefined; reason: string };
