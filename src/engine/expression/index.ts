/** Cq → expression pipeline, clinical tables, sample patterns, standard curves, stability, inter-run calibration. */
export * from './types';
export { columnCell, columnIndex, loadTable, parseNumberCell, isMissingCell, tableColumns, tableFromColumns } from './clinical';
export type { LoadedTable, TableColumn, TableColumns, Cell, ColumnCells, LoadTableOptions } from './clinical';
export { compileSamplePattern, SamplePatternError } from './samples';
export type { SamplePattern } from './samples';
export { computeExpression } from './expression';
export { pivotSubjects } from './pivot';
export { standardCurve, plateStandardCurves, wellRange } from './standards';
export { genorm, genormM, normfinder, quantityMatrix, stabilityAnalysis } from './stability';
export type { QuantityMatrix, StabilityOptions } from './stability';
export { interRunCalibration, sampleGlob } from './interrun';
export type { IrcObservation, IrcPlate, IrcFactor } from './interrun';
export { grubbsCritical, grubbsStatistic, grubbsOutliers, distanceOutliers, detectOutliers } from './outliers';
