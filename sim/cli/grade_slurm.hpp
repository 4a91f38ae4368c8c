// A class graded as a Slurm job array (archlab grade NN CLASS --slurm -o OUT): task i grades the i-th
// student (--student-index i, in the class's sorted order) into OUT/slurm/parts/i/, and the merge
// step (--merge) joins the parts into OUT/gradebook.csv and OUT/feedback/, the bytes grading the
// class in one process writes.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace archlab::cli {

struct ClassOnSlurm {
  std::filesystem::path lab_dir;
  std::filesystem::path klass;  // the folder of student folders
  std::filesystem::path out;
  std::size_t students = 0;
  std::string format;
  std::string hidden_file;      // may be empty
  bool is_instructor = false;
  double wall_limit_s = 0;
};

void write_class_jobs(const ClassOnSlurm& job);
// Every part must be there (else an InputError naming the student whose task did not finish), and
// nothing is written until all are read.
void merge_class_parts(const std::filesystem::path& out, const std::vector<std::string>& students);

}  // namespace archlab::cli
