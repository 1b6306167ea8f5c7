import type { ClinicalColumnInfo, StudyContext } from './check';

/** The full example of docs/study-language.md (sections Data ... Analyses), as one study text. */
export const SPEC_EXAMPLE = `study "Exosomal miR-122 and miR-21 in TACE-treated HCC"
plates "plates/*.txt"                      # globs relative to the study file; format auto-detected
plates "run7.csv" format quantstudio       # or name it: quantstudio | cfx | lightcycler | rotorgene | biomark | rdml | tidy
clinical "clinical.csv" key patient        # one row per subject; \`key\` joins it to samples
samples "{patient}-{timepoint}"            # how Sample Name splits into fields; literal text between fields
samples "samplesheet.csv" key sample       # alternative: a sheet mapping Sample Name to fields
reference cel-miR-39                       # one or more; several = mean Cq (geometric mean of quantities)
targets miR-122, miR-21                    # default: every target that is not a reference
efficiency miR-122 = 1.97, cel-miR-39 = 2  # amplification factor per cycle (or 97%); default 2 (Pfaffl when set)
calibrator timepoint == "pre"              # optional: ddCq against the calibrator samples' mean dCq
qc max-cq 35, replicate-sd 0.5, ntc-min-cq 35, min-replicates 2
let mir122_pre   = log10(miR-122@pre)
let mir122_ratio = dcq(miR-122@post) / dcq(miR-122@pre)      # the seed 000 definition
let cp_b         = child_pugh_grade == "B"                   # comparisons give 0/1
let mir122_low   = mir122_ratio <= median(mir122_ratio)
cohort lc = cirrhosis == "yes"
split train / validation = 70 / 30 seed 2024 stratify response
outcome dss = time dss_months event dss_death                # event: 1/0, or an expression (status == "dead")
describe age, sex, bmi, cea by response               # Table 1: mean ± SD / median [IQR] / n (%), t or chi-square p
compare miR-122@post vs miR-122@pre paired            # paired t (with test wilcoxon)
compare log10(miR-122@pre) by child_pugh_grade        # 2 groups: Student t (with test welch | mann-whitney); >2: ANOVA (with test kruskal)
correlate mir122_pre with age, ast, alt, tumor_diameter   with method pearson   # or spearman
km dss by mir122_low in lc                            # KM, medians with CI, log-rank, numbers at risk (with at 0, 12, 24, 36)
cox dss ~ cp_b + afp > 20 + tumor_diameter > 3 + mir122_low in lc   with univariate   # each term alone
tableIV: cox dss ~ cp_b + tumor_diameter > 3 + mir122_low in lc     with ci profile, ties efron   # or ci wald, ties breslow
model1: logistic effective ~ cea + miR-21 > 2.0 + miR-122 < 0.5 + tumor_size + bmi + age in train
nomogram model1
roc model1 in train, validation                       # AUC, DeLong CI, Youden cutoff, sensitivity, specificity
roc miR-21 predicts effective                         # single marker; Youden-optimal cutoff
calibrate model1 in train, validation with bootstrap 1000, seed 1
hosmer-lemeshow model1 in train, validation with groups 10
dca model1 in train, validation with thresholds 0.05 to 0.95 by 0.01
`;

/** A context matching SPEC_EXAMPLE (targets, levels, clinical columns) for tests, fuzzing and benchmarks. */
export const SPEC_CONTEXT: StudyContext = {
  targets: ['miR-122', 'miR-21', 'cel-miR-39'],
  levels: { timepoint: ['pre', 'post'] },
  clinicalColumns: [
    ...['patient', 'age', 'bmi', 'cea', 'ast', 'alt', 'tumor_diameter', 'afp', 'dss_months', 'dss_death', 'effective', 'tumor_size']
      .map((name): ClinicalColumnInfo => ({ name, type: 'numeric' })),
    { name: 'sex', type: 'categorical', levels: ['F', 'M'] },
    { name: 'response', type: 'categorical', levels: ['PR', 'SD', 'PD'] },
    { name: 'child_pugh_grade', type: 'categorical', levels: ['A', 'B'] },
    { name: 'cirrhosis', type: 'categorical', levels: ['no', 'yes'] },
  ],
};
