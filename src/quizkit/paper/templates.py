r"""The LaTeX templates of a paper version and of its key.

Kept as Python strings (not files beside the module) so that an installed wheel always
carries them. Placeholders are ``@@name`` (``string.Template`` with another delimiter,
because ``$`` means mathematics in LaTeX). Every value put into a placeholder is LaTeX
already: bank text goes through ``escape_latex`` before it gets here.

The macros ``\option``, ``\matchleft`` and the ``question`` environment give each
question a shape a reader (and a test) can follow in the ``.tex`` file.
"""

from __future__ import annotations

from string import Template


class LatexTemplate(Template):
    delimiter = "@@"


# FreeSerif / FreeSans (Debian: fonts-freefont-otf) cover every character the banks
# use: curly quotes, dashes, ×, ≈, −, diacritics. Loading by file name is faster and
# does not depend on fontconfig. \tracinglostchars makes a character the font lacks
# show up in the log, where the build runner turns it into an error: a blank where a
# character should be would change a question silently.
PREAMBLE = LatexTemplate(r"""\documentclass[11pt]{article}
\usepackage[@@paper,margin=2.2cm,headheight=15pt,headsep=14pt,footskip=28pt]{geometry}
\usepackage{fontspec}
\setmainfont{FreeSerif}[Extension=.otf, UprightFont=*, BoldFont=*Bold,
  ItalicFont=*Italic, BoldItalicFont=*BoldItalic]
\setsansfont{FreeSans}[Extension=.otf, UprightFont=*, BoldFont=*Bold,
  ItalicFont=*Oblique, BoldItalicFont=*BoldOblique]
\usepackage{array}
\usepackage{longtable}
\usepackage{fancyhdr}
\usepackage{lastpage}
\tracinglostchars=2
\setlength{\parindent}{0pt}
\setlength{\parskip}{0pt}
\raggedright

% The version letter on every page, the cover included: pages that come apart on a
% marking desk must still say which key they belong to.
\pagestyle{fancy}
\fancyhf{}
\fancyhead[L]{\small @@title}
\fancyhead[R]{\small\textbf{@@header}}
\fancyfoot[C]{\small @@header\quad\textbullet\quad Page \thepage\ of \pageref{LastPage}}
\renewcommand{\headrulewidth}{0.4pt}
\fancypagestyle{plain}{}

% Ragged-right table cells: narrow justified columns leave rivers of space.
\newcolumntype{L}[1]{>{\raggedright\arraybackslash}p{#1}}

\newcommand{\answerbox}[1]{\fbox{\rule{0pt}{1.3em}\hspace{#1}}}
\newcommand{\letterbox}{\answerbox{1.3em}}
\newcommand{\answerline}[1]{\rule{#1}{0.4pt}}
% A lettered entry (option, event, right-hand entry): hanging indent under its text.
\newcommand{\option}[2]{\par\hangindent=2em\hangafter=1%
  \makebox[2em][l]{\textbf{#1.}}#2\par\smallskip}
% A numbered left-hand entry of a matching question, with the box for its letter.
\newcommand{\matchleft}[2]{\par\hangindent=4.4em\hangafter=1%
  \makebox[2.6em][l]{\letterbox}\makebox[1.8em][l]{\textbf{#1.}}#2\par\smallskip}
\newcommand{\answerrow}[1]{\par\smallskip{\hfill #1\par}}
% A question never breaks across pages.
% Everything but the number is indented, so options line up under the stem.
\newenvironment{question}[1]{\par\noindent\begin{minipage}{\linewidth}%
  \leftskip=2em\noindent\hspace*{-2em}\makebox[2em][l]{\textbf{#1.}}\ignorespaces}%
  {\par\end{minipage}\par\bigskip}
""")

VERSION = LatexTemplate(r"""@@preamble
\begin{document}

% ---- cover ----------------------------------------------------------------------
\begin{center}
{\sffamily\LARGE\bfseries @@title\par}
\vspace{2em}
{\sffamily\Large Version\par}
\vspace{0.5em}
{\sffamily\bfseries\fontsize{110}{120}\selectfont @@letter\par}
\vspace{2em}
\end{center}

{\large
\begin{tabular}{@{}l@{\hspace{1em}}l@{}}
Name & \answerbox{0.62\linewidth}\\[3ex]
Student ID & \answerbox{0.3\linewidth}\\
\end{tabular}\par}

\vspace{2.5em}
{\sffamily\bfseries\large Instructions\par}
\medskip
\begin{itemize}
\item This paper has @@count questions on \pageref{LastPage} pages, this cover
  included. Check that every page says \textbf{Version @@letter}.
\item Write your answers in the boxes or on the lines next to each question, option
  letters as capitals (A, B, C). Nothing written elsewhere is marked.
@@instructions
\item A question left blank scores nothing. If you change an answer, cross it out
  clearly and write the new one beside the box.
\end{itemize}

\newpage
% ---- questions --------------------------------------------------------------------
@@questions
\end{document}
""")

KEY = LatexTemplate(r"""@@preamble
\begin{document}

{\sffamily\Large\bfseries Answer key, version @@letter\par}
\medskip
@@title. @@count questions. For the instructor only: do not hand out.\par
\medskip
Answers are written as the students write them: the letter of the option; every
correct letter, A to Z; for order questions the letters from earliest to latest; for
matching questions the letter for each numbered entry, 1 first.\par
\bigskip

{\small
\begin{longtable}{@{}>{\raggedleft}p{2em}@{\hspace{1em}}L{9em}L{9em}L{\dimexpr\linewidth-23.5em\relax}@{}}
\textbf{No.} & \textbf{Answer} & \textbf{Item} & \textbf{Explanation}\tabularnewline
\hline
\endhead
@@rows
\end{longtable}}
\end{document}
""")

# What the cover tells students, per question type; only the types on the paper appear.
INSTRUCTIONS = {
    "single": r"\textbf{One answer:} write the letter of the correct option in the box, "
              r"for example \textbf{B}.",
    "multiple": r"\textbf{All that apply:} write the letters of every correct option, for "
                r"example \textbf{AC}. Only exactly the correct letters score.",
    "numeric": r"\textbf{Number:} write a number on the line, for example "
               r"\textbf{292}; the unit, if any, is printed after the line.",
    "text": r"\textbf{Short answer:} write a word or a short phrase on the line.",
    "order": r"\textbf{Order:} write the letters of the events in the boxes, from the "
             r"earliest to the latest, for example \textbf{C A D B}.",
    "match": r"\textbf{Matching:} in the box beside each numbered entry, write the letter "
             r"of the entry that matches it. Each letter matches one numbered entry.",
}
