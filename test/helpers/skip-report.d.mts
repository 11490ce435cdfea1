/** How the Electron smoke test's skip reason begins where the binary is missing: allowed on CI. */
export const NO_ELECTRON_BINARY: string;
export default function skipReport(
  source: AsyncIterable<{ type: string; data: unknown }>,
): AsyncGenerator<string>;
