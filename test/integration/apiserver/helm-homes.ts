import { installHelm4Plugin, newHelmHome, type HelmHome } from '../paths.js';

/**
 * A Helm 3 home and a Helm 4 home with the krmkit plugin installed, apart (Helm 3 warns
 * about the Helm 4 plugins it cannot load).
 */
export interface HelmHomes {
  helm3: HelmHome;
  helm4: HelmHome;
}

export async function helmHomesWithPlugin(): Promise<HelmHomes> {
  const homes = { helm3: newHelmHome(), helm4: newHelmHome() };
  const install = await installHelm4Plugin(homes.helm4);
  if (install.status !== 0) throw new Error(`helm plugin install ./postrender failed (exit ${install.status}):\n${install.stderr}`);
  return homes;
}
