#!/usr/bin/env python3
"""Raw curves for the sigmoid and melt goldens (issue 20), extracted from the RDML fixtures in test/fixtures/rdml
(unmodified copies from RDML-consortium/rdmlpython, MIT; see test/fixtures/rdml/PROVENANCE.md).
Run from the repository root: /usr/bin/python3 test/golden/curves-extract.py
  -> test/golden/curves-amplification.csv  (source,react,target,cycle,fluor): every reaction of own_mix_a.rdml and
     the 24 reactions 2-13 and 26-37 of shifted_baseline.rdml (two targets, four dilutions, triplicates);
  -> test/golden/curves-melt.csv           (source,react,target,tmp,fluor): every reaction of own_mix_a.rdml.
Values are written exactly as the RDML text holds them (no rounding, no reordering within a reaction)."""
import csv
import zipfile
from lxml import etree

NS = {'r': 'http://www.rdml.org'}
SELECTION = {
    'own_mix_a': None,
    'shifted_baseline': {str(i) for i in list(range(2, 14)) + list(range(26, 38))},
}


def reactions(name):
    with zipfile.ZipFile(f'test/fixtures/rdml/{name}.rdml') as z:
        root = etree.fromstring(z.read('rdml_data.xml'))
    for react in root.findall('.//r:run/r:react', NS):
        if SELECTION[name] is not None and react.get('id') not in SELECTION[name]:
            continue
        for data in react.findall('r:data', NS):
            yield react.get('id'), data.find('r:tar', NS).get('id'), data


def main():
    with open('test/golden/curves-amplification.csv', 'w', newline='') as fa, \
            open('test/golden/curves-melt.csv', 'w', newline='') as fm:
        wa, wm = csv.writer(fa, lineterminator='\n'), csv.writer(fm, lineterminator='\n')
        wa.writerow(['source', 'react', 'target', 'cycle', 'fluor'])
        wm.writerow(['source', 'react', 'target', 'tmp', 'fluor'])
        for name in SELECTION:
            for react, target, data in reactions(name):
                for p in data.findall('r:adp', NS):
                    wa.writerow([name, react, target, p.findtext('r:cyc', namespaces=NS).strip(),
                                 p.findtext('r:fluor', namespaces=NS).strip()])
                for p in data.findall('r:mdp', NS):
                    wm.writerow([name, react, target, p.findtext('r:tmp', namespaces=NS).strip(),
                                 p.findtext('r:fluor', namespaces=NS).strip()])


if __name__ == '__main__':
    main()
