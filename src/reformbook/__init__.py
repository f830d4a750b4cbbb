"""reformbook: the data layer and analysis helpers behind the book.

Everything a notebook needs lives here so that pages stay thin: province resolution
(:mod:`reformbook.provinces`), sourced facts and their validation (:mod:`reformbook.data`),
computations (:mod:`reformbook.metrics`), notebook parameters (:mod:`reformbook.params`),
charts (:mod:`reformbook.figures`) and the page runner (:mod:`reformbook.runner`).
"""

__version__ = "0.1.0"
