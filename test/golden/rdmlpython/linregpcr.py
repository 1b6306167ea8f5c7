#!/usr/bin/python3
"""Golden numbers for test/unit/curves/linreg.test.ts: rdmlpython's LinRegPCR run on every RDML fixture (issue 20).

Usage (from the repository root, with the system python that has numpy, scipy and lxml, e.g. Debian's
python3-numpy python3-scipy python3-lxml):

    RDMLPYTHON_DIR=/path/to/rdmlpython /usr/bin/python3 test/golden/rdmlpython/linregpcr.py
    /usr/bin/python3 test/golden/rdmlpython/linregpcr.py --rdmlpython /path/to/rdmlpython [--commit HASH]

RDMLPYTHON_DIR (or --rdmlpython) is a checkout of https://github.com/RDML-consortium/rdmlpython (MIT licence): the
folder that holds rdml.py. Its commit is read with `git rev-parse HEAD` there, or given by --commit /
RDMLPYTHON_COMMIT when the folder is an exported tree. rdml.py imports matplotlib at load time for its melt-curve
plots only; when matplotlib is missing the script registers empty stand-in modules (LinRegPCR never draws).

For each fixture test/fixtures/rdml/<name>.rdml that has amplification data (adp), every run is analysed with
Run.linRegPCR at its defaults (pcrEfficiencyExl=0.05, excludeNoPlateau=True, excludeEfficiency="outlier",
excludeInstableBaseline=True) and test/golden/linregpcr-<name>.json is written with, per reaction, the INPUT (raw
fluorescence per cycle before gap filling, null = missing; target, sample type, the RDML exclusion text and the
amplifiable copy limit nAmpli that rdmlpython derives from dye/primer/volume metadata) and rdmlpython's outputs;
"variants" holds the option-dependent outputs under the other efficiency rules ("mean" at 0.05 and 0.1, "include").

--bench CURVES.json (used by bench/curves.mjs) instead builds an RDML document from a JSON
{"columns": 24, "reactions": [{"id", "target", "fluor": [...]}, ...]}, times linRegPCR on it and prints one JSON line
{"ms", "cpuMs", "peakBytes" (tracemalloc peak), "rssBytes" (peak RSS of the process), "results": [...]}.
"""
import json
import os
import subprocess
import sys
import time
import types

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
FIXTURES = ['matrix_gaps', 'own_mix_a', 'shifted_baseline', 'sybr_stability']
OPTIONS = dict(pcrEfficiencyExl=0.05, excludeNoPlateau=True, excludeEfficiency='outlier', excludeInstableBaseline=True)
# The other efficiency rules, recorded as "variants" (outputs that depend on the options only).
VARIANTS = [dict(OPTIONS, excludeEfficiency='mean'), dict(OPTIONS, excludeEfficiency='mean', pcrEfficiencyExl=0.1),
            dict(OPTIONS, excludeEfficiency='include', excludeNoPlateau=False)]


def arg(name, env):
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    return os.environ.get(env)


def load_rdml_module(folder):
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        stubs = {n: types.ModuleType(n) for n in
                 ['matplotlib', 'matplotlib.backends', 'matplotlib.backends.backend_svg', 'matplotlib.figure']}
        stubs['matplotlib.backends.backend_svg'].FigureCanvasSVG = None
        stubs['matplotlib.figure'].Figure = None
        sys.modules.update(stubs)
    sys.path.insert(0, folder)
    import rdml
    return rdml


def commit_of(folder):
    given = arg('--commit', 'RDMLPYTHON_COMMIT')
    if given:
        return given
    try:
        return subprocess.check_output(['git', '-C', folder, 'rev-parse', 'HEAD'], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def num(v):
    """JSON number or null (NaN, inf, '' become null)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if f == f and abs(f) != float('inf') else None


def variant(run, options):
    res = run.linRegPCR(**options, saveResultsList=True)
    c = {h: i for i, h in enumerate(res['resultsList'][0])}
    return {'options': options, 'out': [{
        'meanEff': num(r[c['PCR eff']]), 'sdEff': num(r[c['STD PCR eff']]), 'ncopy': num(r[c['Ncopy']]),
        'exclEff': bool(r[c['excl PCR efficiency']]), 'usedForMean': bool(r[c['used for mean PCR efficiency']]),
        'note': r[c['note']]} for r in res['resultsList'][1:]]}


def run_rows(run):
    res = run.linRegPCR(**OPTIONS, saveRaw=True, saveResultsList=True)
    raw = res['rawData']
    head = res['resultsList'][0]
    col = {h: i for i, h in enumerate(head)}
    rows = []
    for k, r in enumerate(res['resultsList'][1:]):
        inp = raw[k + 1]
        assert inp[0] == r[col['id']] and inp[3] == r[col['target']]
        rows.append({
            'id': r[col['id']], 'well': r[col['well']], 'sample': r[col['sample']],
            'sampleType': r[col['sample type']], 'target': r[col['target']], 'exclIn': inp[4],
            'nAmpli': num(r[col['nAmpli']]), 'fluor': [num(v) for v in inp[5:]],
            'out': {
                'baseline': num(r[col['baseline']]), 'plateauFluor': num(r[col['plateau fluor']]),
                'nLog': num(r[col['n in log phase']]), 'nIncluded': num(r[col['n included']]),
                'lastLogCycle': num(r[col['last log cycle']]),
                'indivEffX': num(r[col['indiv PCR eff x']]), 'indivEffY': num(r[col['indiv PCR eff y']]),
                'indivEff': num(r[col['indiv PCR eff']]), 'r2': num(r[col['R2']]),
                'meanEff': num(r[col['PCR eff']]), 'sdEff': num(r[col['STD PCR eff']]),
                'td0Fluor': num(r[col['TD0 fluorescence']]), 'td0': num(r[col['TD0']]),
                'indivNcopy': num(r[col['indiv Ncopy']]), 'ncopy': num(r[col['Ncopy']]),
                'amplification': bool(r[col['amplification']]), 'baselineError': int(r[col['baseline error']]),
                'plateau': bool(r[col['plateau']]), 'exclEff': bool(r[col['excl PCR efficiency']]),
                'usedForMean': bool(r[col['used for mean PCR efficiency']]),
                'excl': r[col['excluded']], 'note': r[col['note']],
            }})
    return rows, res.get('error', '')


def goldens(rdml, commit):
    for name in FIXTURES:
        rd = rdml.Rdml(os.path.join(ROOT, 'test', 'fixtures', 'rdml', name + '.rdml'))
        runs = []
        for exp in rd.experiments():
            for run in exp.runs():
                try:
                    rows, err = run_rows(run)
                except rdml.RdmlError as e:
                    print(f'{name}: {exp["id"]}/{run["id"]}: skipped ({e})')
                    continue
                runs.append({'experiment': exp['id'], 'run': run['id'], 'columns': int(run['pcrFormat_columns']),
                             'error': err, 'reactions': rows, 'variants': [variant(run, v) for v in VARIANTS]})
        if not runs:
            print(f'{name}: no run with amplification data, no golden written')
            continue
        out = {'generator': 'test/golden/rdmlpython/linregpcr.py',
               'oracle': {'package': 'rdmlpython', 'repository': 'https://github.com/RDML-consortium/rdmlpython',
                          'commit': commit, 'licence': 'MIT', 'function': 'Run.linRegPCR', 'options': OPTIONS},
               'fixture': f'test/fixtures/rdml/{name}.rdml', 'runs': runs}
        path = os.path.join(ROOT, 'test', 'golden', f'linregpcr-{name}.json')
        with open(path, 'w') as fh:
            json.dump(out, fh, separators=(',', ':'))
            fh.write('\n')
        print(f'{name}: {sum(len(r["reactions"]) for r in runs)} reactions -> {os.path.relpath(path, ROOT)}')


def bench_xml(data):
    """A minimal RDML 1.4 document: one experiment, one run, SYBR targets, unknown samples, adp per reaction."""
    from xml.sax.saxutils import escape as x
    targets = sorted({r['target'] for r in data['reactions']})
    out = ['<rdml xmlns="http://www.rdml.org" version="1.4"><dye id="SYBR"/><sample id="s"><type>unkn</type></sample>']
    out += [f'<target id="{x(t)}"><type>toi</type><dyeId id="SYBR"/></target>' for t in targets]
    out.append(f'<experiment id="bench"><run id="plate"><pcrFormat><rows>{len(data["reactions"]) // data["columns"]}'
               f'</rows><columns>{data["columns"]}</columns><rowLabel>ABC</rowLabel><columnLabel>123</columnLabel>'
               '</pcrFormat>')
    for r in data['reactions']:
        adps = ''.join(f'<adp><cyc>{c + 1}</cyc><fluor>{v!r}</fluor></adp>' for c, v in enumerate(r['fluor']))
        out.append(f'<react id="{r["id"]}"><sample id="s"/><data><tar id="{x(r["target"])}"/>{adps}</data></react>')
    out.append('</run></experiment></rdml>')
    return ''.join(out)


def bench(rdml, path):
    import resource
    import tracemalloc
    with open(path) as fh:
        data = json.load(fh)
    rd = rdml.Rdml()
    rd.loadXMLString(bench_xml(data))
    run = rd.experiments()[0].runs()[0]
    tracemalloc.start()
    t, c = time.perf_counter(), time.process_time()
    res = run.linRegPCR(**OPTIONS, saveResultsList=True)
    ms, cpu_ms = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    head = res['resultsList'][0]
    c = {h: i for i, h in enumerate(head)}
    results = [{'id': r[c['id']], 'indivEff': num(r[c['indiv PCR eff']]), 'td0': num(r[c['TD0']]),
                'meanEff': num(r[c['PCR eff']])} for r in res['resultsList'][1:]]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes
    print(json.dumps({'ms': ms, 'cpuMs': cpu_ms, 'peakBytes': peak, 'rssBytes': rss, 'results': results}))


def main():
    folder = arg('--rdmlpython', 'RDMLPYTHON_DIR')
    if not folder or not os.path.isfile(os.path.join(folder, 'rdml.py')):
        sys.exit('give the rdmlpython checkout (the folder with rdml.py) as RDMLPYTHON_DIR or --rdmlpython')
    rdml = load_rdml_module(folder)
    if '--bench' in sys.argv:
        bench(rdml, arg('--bench', 'UNUSED'))
    else:
        goldens(rdml, commit_of(folder))


if __name__ == '__main__':
    main()
