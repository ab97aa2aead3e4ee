"""Build spacy_preseg.doc_arrays, the one compiled module, against spaCy's .pxd headers.

Everything else (metadata, dependencies, entry points) is in setup.cfg.
"""

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

EXTENSIONS = [
    Extension(
        "spacy_preseg.doc_arrays",
        ["spacy_preseg/doc_arrays.pyx"],
        language="c++",  # spaCy's SpanGroup holds a C++ vector
        include_dirs=[numpy.get_include()],
    )
]

setup(ext_modules=cythonize(EXTENSIONS))
