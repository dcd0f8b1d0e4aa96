/**
 * A small library written for the export golden tests (reconstructed from real papers' public
 * metadata, with hostile cells added on purpose). Not a capture.
 */
import type { SavedPaper } from '../types';

const DAY = 86_400_000;
const BASE = Date.UTC(2024, 0, 1);

export const EXPORT_FIXTURE_LIBRARY: SavedPaper[] = [
  {
    id: 'arxiv:1706.03762',
    snapshot: {
      title: 'Attention Is All You Need',
      authors: ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar', 'Jakob Uszkoreit'],
      abstract:
        'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.',
      published: '2017-06-12',
      categories: ['cs.CL', 'cs.LG'],
      links: { abs: 'https://arxiv.org/abs/1706.03762', pdf: 'https://arxiv.org/pdf/1706.03762' },
    },
    savedAt: BASE,
    updatedAt: BASE,
    tags: ['transformers', 'to cite'],
    note: 'Read twice.\nKey idea: "attention" only; see §3.',
    status: 'read',
  },
  {
    id: 'arxiv:1512.03385',
    snapshot: {
      title: 'Deep Residual Learning for Image Recognition',
      authors: ['Kaiming He', 'Xiangyu Zhang', 'Shaoqing Ren', 'Jian Sun'],
      published: '2015-12-10',
      categories: ['cs.CV'],
      venue: 'IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
      aliases: ['doi:10.1109/cvpr.2016.90'],
      links: { code: 'https://github.com/KaimingHe/deep-residual-networks' },
    },
    savedAt: BASE + DAY,
    updatedAt: BASE + DAY,
    tags: [],
    note: '',
    status: 'to-read',
  },
  {
    id: 'doi:10.1126/science.1252319',
    snapshot: {
      title: 'Defining and Detecting Quantum Speedup',
      authors: ['Troels F. Rønnow', 'Zhihui Wang', 'Ludwig van Beethoven'],
      published: '2014-07-25',
      venue: 'Science',
      aliases: ['arxiv:1401.2910'],
    },
    savedAt: BASE + 2 * DAY,
    updatedAt: BASE + 2 * DAY,
    tags: ['quantum'],
    note: '',
    status: 'reading',
    citationKey: 'Ronnow.2014.Defining',
  },
  {
    id: 'openreview:HostileRow1',
    snapshot: {
      title: '=HYPERLINK("http://evil.example","click")',
      authors: ['@evil', '+1 Person', 'Consortium'],
      published: '2023',
      venue: 'ICLR 2023 Workshop',
    },
    savedAt: BASE + 3 * DAY,
    updatedAt: BASE + 3 * DAY,
    tags: ['-rm', 'a,b'],
    note: '=1+1\nER  - not a tag',
    status: 'to-read',
  },
  {
    id: 'arxiv:1706.09999',
    snapshot: {
      title: 'Attention, Again: $\\mathcal{O}(n)$ Costs for 100% of {Braces} & under_scores #1',
      authors: ['Ashish Vaswani'],
      published: '2017-07',
      categories: ['cs.LG'],
    },
    savedAt: BASE + 4 * DAY,
    updatedAt: BASE + 4 * DAY,
    tags: ['transformers'],
    note: '',
    status: 'to-read',
  },
];
