/**
 * nodeZip.ts in VS Code for the web (the browser bundles resolve src/cli/nodeZip.ts here, scripts/bundles.mjs): there
 * is no zlib, so the engine's writers deflate with their default, fflate (src/engine/common/zipCodec.ts).
 */
import type { ZipCodec } from '../../engine/common/zipCodec';

export const HOST_ZIP: ZipCodec | undefined = undefined;
