"""What the maintainer's known-bad generators (make_known_bad_NN.py) share: a lab's solution and
starter without their header comments, one-line variants of the solution, and writing each case's
submission.json with a first line saying what is wrong with it."""
import os, re


class KnownBadLab:
    def __init__(self, folder):
        self.lab = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "labs", folder)
        solution = open(f'{self.lab}/solution/submission.json').read()
        starter = open(f'{self.lab}/starter.json').read()
        self.solution = solution[solution.index('{\n  "name"'):]
        self.starter = starter[starter.index('{\n  "name"'):]

    def variant(self, *pairs):
        """The solution with each (old, new) replaced; each old must stand exactly once."""
        text = self.solution
        for old, new in pairs:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        return text

    def write(self, cases, keep_comments=('as-written',)):
        """cases: {name: (what is wrong, text)}. The solution's comments explain the solution, not a
        variant of it, so they are dropped unless the case keeps them (the starter's are its own)."""
        for name, (what, text) in cases.items():
            if name not in keep_comments:
                text = re.sub(r'(?m)^ *//.*\n', '', text)
            os.makedirs(f'{self.lab}/known_bad/{name}', exist_ok=True)
            open(f'{self.lab}/known_bad/{name}/submission.json', 'w').write(f'// Known bad: {what}.\n' + text)
        print(len(cases))
