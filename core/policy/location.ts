import { existsSync } from 'node:fs';
import { win32 } from 'node:path';

/** Where the organisation deploys the policy, by platform. */
export function systemPolicyFile(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32')
    return win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Headroom', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Headroom/policy.json';
  return '/etc/headroom/policy.json';
}

export interface PolicyLocation {
  /** The file that applies; null when there is none. */
  file: string | null;
  /** Why HEADROOM_POLICY was not used, when it was set. */
  ignored?: string;
}

/**
 * The policy file: the system one where it exists, else `HEADROOM_POLICY` (a container or a
 * machine without the system path, the tests). The system file wins so that a user cannot step
 * out of the organisation's policy by setting a variable.
 */
export function policyLocation(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  exists: (file: string) => boolean = existsSync,
): PolicyLocation {
  const system = systemPolicyFile(platform, env);
  const given = env.HEADROOM_POLICY?.trim() || undefined;
  if (exists(system))
    return given && given !== system
      ? {
          file: system,
          ignored: `HEADROOM_POLICY=${given} is ignored: the system policy ${system} applies, and a variable cannot override it`,
        }
      : { file: system };
  return { file: given ?? null };
}
