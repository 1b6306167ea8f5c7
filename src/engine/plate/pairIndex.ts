/** Moved to src/shared/pairIndex.ts (the plate editor's replicate grouping uses it too); re-exported for the engine. */
export { pairHash, firstOccurrences } from '../../shared/pairIndex';
