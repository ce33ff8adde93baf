"""The report layer: figures (:mod:`.plots`), the notebooks run into a site (:mod:`.build`), its folder
(:mod:`.folder`).

Analyses never import this package; it imports them.
"""
