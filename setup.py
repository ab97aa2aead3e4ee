"""Build the compiled modules: spacy_preseg.doc_arrays, spacy_preseg.docbin_writer and spacy_preseg.tagged_lines (against spaCy's .pxd headers), spacy_preseg.char_trie and spacy_preseg.pkuseg_features.

Everything else (metadata, dependencies, entry points) is in setup.cfg.
"""

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

MODULES = ["doc_arrays", "char_trie", "docbin_writer", "pkuseg_features", "tagged_lines"]
EXTENSIONS = [
    Extension(
        f"spacy_preseg.{name}",
        [f"spacy_preseg/{name}.pyx"],
        language="c++",  # spaCy's SpanGroup holds a C++ vector; the trie uses a hash map
        include_dirs=[numpy.get_include()],
    )
    for name in MODULES
]

setup(ext_modules=cythonize(EXTENSIONS))
