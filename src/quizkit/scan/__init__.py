"""Scanned answer sheets into responses: ``quizkit scan``.

``layout`` is where everything sits on a sheet (shared with ``quizkit.paper.sheet``,
which draws it); ``paperset`` names the printed test and reads its folder; ``sources``
yields the scanned pages one at a time; ``read`` reads one page; ``batch`` reads them
all on worker processes, in order; ``corrections`` reads the instructor's decisions;
``results`` accounts for every page and writes the CSV files; ``review`` writes
review.html. The command itself is ``quizkit.cli.scan``.
"""
