"""Imported by the forkserver that forks the run's local workers (``multiprocessing.set_forkserver_preload``, see
runner.Slots): the task's modules (papermill, nbformat, nbconvert) and a page rendered once in each language
(:func:`.task.warm`), so that every worker starts with them loaded and built, shared copy-on-write, instead of
importing and building them again (about 1.5 CPU-s a worker)."""
from analysis_utils.run.task import warm

warm()
