# A tiny book for the quizkit Sphinx tests: MyST pages, the shared demo bank.
project = "quizkit sample"
extensions = ["myst_parser", "quizkit.sphinx"]
root_doc = "index"
exclude_patterns = ["_build"]
quizkit_bank_dir = "../quizzes"
html_theme = "basic"
