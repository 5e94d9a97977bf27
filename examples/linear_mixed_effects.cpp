// Edward's "Linear mixed effects models" tutorial: ratings of lectures (lme4's InstEval) with
// random intercepts for students, instructors and departments, fitted by KLqp — the random
// effects get Normal approximations, the fixed effects and variance components are learned
// with them (variational EM), to compare with lme4's REML fit.
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>

#include "examples/common.hpp"

namespace {

/// The ratings: 0-based codes of student, instructor and department, the service indicator and
/// the rating.
struct Ratings {
  ed::Matrix s, d, dept, service, y;
  ed::Index students = 0, instructors = 0, departments = 0;
};

ed::Index levels(const ed::Matrix& codes) { return static_cast<ed::Index>(codes.maxCoeff()) + 1; }

/// The CSV of scripts/data/export_insteval.R (columns s, d, dept, service, y).
Ratings read_ratings(const std::string& path) {
  const ed::CsvTable table = ed::read_csv(path);
  auto column = [&](const std::string& name) {
    const auto it = std::find(table.columns.begin(), table.columns.end(), name);
    if (it == table.columns.end()) {
      throw ed::invalid_argument(path + ": no column '" + name +
                                 "' (expected s, d, dept, service, y)");
    }
    return ed::Matrix(table.data.col(it - table.columns.begin()));
  };
  Ratings r{column("s"), column("d"), column("dept"), column("service"), column("y")};
  for (const ed::Matrix* codes : {&r.s, &r.d, &r.dept}) {
    if (codes->minCoeff() < 0 || (codes->array() != codes->array().round()).any()) {
      throw ed::invalid_argument(path + ": the codes of s, d and dept must be integers from 0");
    }
  }
  r.students = levels(r.s);
  r.instructors = levels(r.d);
  r.departments = levels(r.dept);
  return r;
}

/// A small data set of InstEval's shape with known effects (the default, so that the program
/// runs without R): 300 students, 60 instructors in 6 departments, 6,000 ratings.
struct Truth {
  double mu = 3.2, service = -0.1, sd_s = 0.3, sd_d = 0.5, sd_dept = 0.1, sd_y = 1.2;
};

Ratings simulate(const Truth& t, std::uint32_t seed) {
  ed::set_seed(seed);
  const ed::Index n = 6000, students = 300, instructors = 60, departments = 6;
  Ratings r;
  r.students = students;
  r.instructors = instructors;
  r.departments = departments;
  const ed::Matrix eta_s = ed::eval(ed::Normal(ed::Matrix::Zero(students, 1), t.sd_s));
  const ed::Matrix eta_d = ed::eval(ed::Normal(ed::Matrix::Zero(instructors, 1), t.sd_d));
  const ed::Matrix eta_dept = ed::eval(ed::Normal(ed::Matrix::Zero(departments, 1), t.sd_dept));
  const ed::Matrix u = ed::eval(ed::Uniform(ed::Matrix::Zero(n, 3), 1.0));
  const ed::Matrix noise = ed::eval(ed::Normal(ed::Matrix::Zero(n, 1), t.sd_y));
  r.s.resize(n, 1);
  r.d.resize(n, 1);
  r.dept.resize(n, 1);
  r.service.resize(n, 1);
  r.y.resize(n, 1);
  for (ed::Index i = 0; i < n; ++i) {
    const auto s = static_cast<ed::Index>(u(i, 0) * students);
    const auto d = static_cast<ed::Index>(u(i, 1) * instructors);
    const ed::Index dept = d % departments;  // each instructor teaches in one department
    const double service = u(i, 2) < 0.4 ? 1.0 : 0.0;
    r.s(i, 0) = static_cast<double>(s);
    r.d(i, 0) = static_cast<double>(d);
    r.dept(i, 0) = static_cast<double>(dept);
    r.service(i, 0) = service;
    r.y(i, 0) =
        t.mu + t.service * service + eta_s(s, 0) + eta_d(d, 0) + eta_dept(dept, 0) + noise(i, 0);
  }
  return r;
}

ed::Normal normal_q(ed::Index n, const std::string& name) {
  return ed::Normal(ed::variable(ed::Matrix::Zero(n, 1), name + "/loc"),
                    ed::softplus(ed::variable(ed::Matrix::Constant(n, 1, -3.0), name + "/scale")));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Linear mixed effects on lecture ratings (InstEval) by KLqp, as Edward's tutorial",
               "linear_mixed_effects"};
  ed::examples::Flags flags{.seed = 1, .out = "out/linear_mixed_effects"};
  std::string data_path;
  long iterations = 3000;
  app.add_option("--data", data_path,
                 "CSV with columns s, d, dept, service, y (scripts/data/export_insteval.R); "
                 "default: a simulated data set of the same shape");
  app.add_option("--iterations", iterations, "KLqp steps")->check(CLI::Range(1, 10000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    const Truth truth;
    const Ratings r = data_path.empty() ? simulate(truth, flags.seed) : read_ratings(data_path);
    std::printf("%ld ratings, %ld students, %ld instructors, %ld departments\n",
                static_cast<long>(r.y.rows()), static_cast<long>(r.students),
                static_cast<long>(r.instructors), static_cast<long>(r.departments));

    // Fixed effects and variance components: variables of the model (point estimates).
    const ed::Tensor mu = ed::variable(ed::Matrix::Constant(1, 1, r.y.mean()), "mu");
    const ed::Tensor service = ed::variable(ed::Matrix::Zero(1, 1), "service");
    const ed::Tensor sd_s = ed::exp(ed::variable(ed::Matrix::Constant(1, 1, -1.0), "log_sd_s"));
    const ed::Tensor sd_d = ed::exp(ed::variable(ed::Matrix::Constant(1, 1, -1.0), "log_sd_d"));
    const ed::Tensor sd_dept =
        ed::exp(ed::variable(ed::Matrix::Constant(1, 1, -1.0), "log_sd_dept"));
    const ed::Tensor sd_y = ed::exp(ed::variable(ed::Matrix::Zero(1, 1), "log_sd_y"));
    // Random effects, and the ratings.
    const ed::Normal eta_s(ed::Matrix::Zero(r.students, 1), sd_s);
    const ed::Normal eta_d(ed::Matrix::Zero(r.instructors, 1), sd_d);
    const ed::Normal eta_dept(ed::Matrix::Zero(r.departments, 1), sd_dept);
    const ed::Tensor y_hat = ed::gather_rows(eta_s, r.s) + ed::gather_rows(eta_d, r.d) +
                             ed::gather_rows(eta_dept, r.dept) + mu + service * r.service;
    const ed::Normal y(y_hat, sd_y);

    const ed::Normal q_s = normal_q(r.students, "q_eta_s");
    const ed::Normal q_d = normal_q(r.instructors, "q_eta_d");
    const ed::Normal q_dept = normal_q(r.departments, "q_eta_dept");
    ed::KLqp inference({{eta_s, q_s}, {eta_d, q_d}, {eta_dept, q_dept}}, {{y, r.y}});
    inference.initialize(
        {.optimizer = ed::Adam(0.02), .n_iter = iterations, .n_samples = 1, .seed = flags.seed});
    ed::Matrix losses(iterations, 2);
    const auto start = std::chrono::steady_clock::now();
    for (long t = 0; t < iterations; ++t) {
      const ed::Info info = inference.update();
      losses.row(t) << static_cast<double>(t + 1), info.loss;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("KLqp: %ld steps in %.2f s (%.2f ms per step), ELBO %.1f\n", iterations, seconds,
                1e3 * seconds / static_cast<double>(iterations), -losses(iterations - 1, 1));

    auto value = [](const ed::Tensor& t) { return ed::eval(t)(0, 0); };
    std::printf("\n%-22s %10s%s\n", "", "KLqp", data_path.empty() ? "      truth" : "");
    auto row = [&](const char* name, double estimate, double true_value) {
      if (data_path.empty()) {
        std::printf("%-22s %10.4f %10.4f\n", name, estimate, true_value);
      } else {
        std::printf("%-22s %10.4f\n", name, estimate);
      }
    };
    row("(Intercept)", value(mu), truth.mu);
    row("service", value(service), truth.service);
    row("sd of students", value(sd_s), truth.sd_s);
    row("sd of instructors", value(sd_d), truth.sd_d);
    row("sd of departments", value(sd_dept), truth.sd_dept);
    row("residual sd", value(sd_y), truth.sd_y);

    // The instructors' effects, sorted by posterior mean, with ±2 posterior sd.
    const ed::Matrix loc = ed::eval(q_d.mean()), scale = ed::eval(q_d.stddev());
    std::vector<ed::Index> order(static_cast<std::size_t>(r.instructors));
    std::iota(order.begin(), order.end(), ed::Index{0});
    std::sort(order.begin(), order.end(),
              [&](ed::Index a, ed::Index b) { return loc(a, 0) < loc(b, 0); });
    ed::Matrix effects(r.instructors, 3);
    for (ed::Index i = 0; i < r.instructors; ++i) {
      const ed::Index j = order[static_cast<std::size_t>(i)];
      effects.row(i) << static_cast<double>(i), loc(j, 0), scale(j, 0);
    }
    ed::write_csv(flags.out + "/losses.csv", losses, {"step", "loss"});
    ed::write_csv(flags.out + "/instructors.csv", effects, {"rank", "mean", "sd"});
    ed::examples::run_gnuplot("linear_mixed_effects.gp", flags.out);
  });
}
