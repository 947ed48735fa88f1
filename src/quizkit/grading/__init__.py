"""Grading a class: ``quizkit grade``.

``responses`` reads the responses CSV; ``key`` reads a paper's key.csv (or makes a key
straight from the banks) and turns what a student wrote into a response; ``scoring``
grades every row and sets aside the rows that break a rule; ``analysis`` computes the
item analysis (difficulty, discrimination, option use, KR-20); ``tables`` writes the
CSV results and the summary; ``report`` the self-contained HTML report (``plots``
draws its plots); ``simulate`` makes simulated classes. Import from the modules: this
package loads none of them, so that a light one (the key) does not load numpy.
"""
