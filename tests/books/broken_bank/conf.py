# Its bank breaks a rule: the build must name the file and line, and fail.
project = "quizkit broken bank"
extensions = ["myst_parser", "quizkit.sphinx"]
root_doc = "index"
html_theme = "basic"
