// Micro-benchmarks of each pipeline stage (Google Benchmark), on the synthetic chest phantom at
// realistic sizes: 512 x 512 pixels of 0.703 mm, 100 to 500 slices 0.703 mm apart (thin-slice chest
// CT; the scanned length grows with the slice count, so every stage's work should grow linearly).
//   build/bin/ctpStageBenchmarks                                  all stages, all sizes
//   build/bin/ctpStageBenchmarks --benchmark_filter='LungMask/500'  one stage, one size
// Counters: slices/s of the input series and voxels/s of the stage's input. Not a test: timings go to
// Testing/Benchmarks/ctpBenchmarkSuite.sh's table; instruction counts for small changes come from
// the same binary under valgrind --tool=callgrind (ctpBenchmarkSuite.sh --callgrind FILTER).
#include "ctpChestPhantom.h"
#include "ctpDicomSeriesReader.h"
#include "ctpDicomSeriesWriter.h"
#include "ctpHUConvertImageFilter.h"
#include "ctpIsotropicResampler.h"
#include "ctpLungMaskImageFilter.h"
#include "ctpNormalizeImageFilter.h"
#include "ctpNpyWriter.h"
#include "ctpSurfaceExtractor.h"
#include "ctpVolumeWriter.h"
#include "ctpZeroCenterImageFilter.h"

#include "itkImageAlgorithm.h"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
constexpr double PixelMm = 360.0 / 512.0;

/** Everything a stage may start from, made once per slice count and kept for the whole run. */
struct StageInputs
{
  ctp::HUImageType::Pointer    Original;  ///< phantom HU on the slice grid
  ctp::FloatImageType::Pointer Rescaled;  ///< the same as float (HUConvert's general input)
  ctp::HUImageType::Pointer    Resampled; ///< on the 1 mm grid
  ctp::MaskImageType::Pointer  Labels;    ///< lung mask of Resampled
  ctp::MaskImageType::Pointer  Body;
  std::string                  SeriesDirectory;
};

fs::path
WorkDirectory()
{
  static const fs::path work = [] {
    const fs::path path = fs::temp_directory_path() / ("ctp-stage-benchmarks-" + std::to_string(::getpid()));
    fs::create_directories(path);
    return path;
  }();
  return work;
}

/** Removes the work folder when the program ends. */
struct WorkCleanup
{
  const fs::path Path = WorkDirectory();
  ~WorkCleanup()
  {
    std::error_code ec;
    fs::remove_all(Path, ec);
  }
} g_Cleanup;

const StageInputs &
Inputs(unsigned int slices, bool needSeries = false)
{
  static std::map<unsigned int, StageInputs> cache;
  auto &                                     inputs = cache[slices];
  if (!inputs.Original)
  {
    ctp::ChestPhantomParameters parameters;
    parameters.Matrix = 512;
    parameters.Slices = slices;
    parameters.SliceSpacing = PixelMm;
    const auto volumes = ctp::ChestPhantom(parameters).Generate();
    inputs.Original = volumes.HU;
    inputs.Rescaled = ctp::FloatImageType::New();
    inputs.Rescaled->CopyInformation(inputs.Original);
    inputs.Rescaled->SetRegions(inputs.Original->GetLargestPossibleRegion());
    inputs.Rescaled->Allocate();
    itk::ImageAlgorithm::Copy(inputs.Original.GetPointer(),
                              inputs.Rescaled.GetPointer(),
                              inputs.Original->GetLargestPossibleRegion(),
                              inputs.Original->GetLargestPossibleRegion());
    inputs.Resampled = ctp::ResampleHU(
      inputs.Original, ctp::PlanResampleGrid(inputs.Original, { 1.0, 1.0, 1.0 }), ctp::Interpolator::Linear);
    auto mask = ctp::LungMaskImageFilter::New();
    mask->SetInput(inputs.Resampled);
    mask->SetComputeBodyMask(true);
    mask->Update();
    inputs.Labels = mask->GetOutput();
    inputs.Labels->DisconnectPipeline();
    inputs.Body = const_cast<ctp::MaskImageType *>(mask->GetBodyMask());
  }
  if (needSeries && inputs.SeriesDirectory.empty())
  {
    const fs::path directory = WorkDirectory() / ("series-" + std::to_string(slices));
    ctp::WriteDicomSeries(inputs.Original, directory.string(), {});
    inputs.SeriesDirectory = directory.string();
  }
  return inputs;
}

void
Count(benchmark::State & state, unsigned int slices, size_t voxels)
{
  state.counters["slices_per_s"] = benchmark::Counter(double(slices), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["voxels_per_s"] = benchmark::Counter(double(voxels), benchmark::Counter::kIsIterationInvariantRate);
}

void
SeriesRead(benchmark::State & state)
{
  const auto   slices = static_cast<unsigned int>(state.range(0));
  const auto & inputs = Inputs(slices, true);
  for (auto _ : state)
  {
    auto loaded = ctp::ReadDicomSeries(inputs.SeriesDirectory);
    benchmark::DoNotOptimize(loaded.Image->GetBufferPointer());
  }
  Count(state, slices, inputs.Original->GetLargestPossibleRegion().GetNumberOfPixels());
}

void
HUConvert(benchmark::State & state)
{
  const auto   slices = static_cast<unsigned int>(state.range(0));
  const auto & inputs = Inputs(slices);
  for (auto _ : state)
  {
    auto convert = ctp::HUConvertImageFilter<ctp::FloatImageType, ctp::HUImageType>::New();
    convert->SetInput(inputs.Rescaled);
    convert->Update();
    benchmark::DoNotOptimize(convert->GetOutput()->GetBufferPointer());
  }
  Count(state, slices, inputs.Original->GetLargestPossibleRegion().GetNumberOfPixels());
}

void
Resample(benchmark::State & state)
{
  const auto   slices = static_cast<unsigned int>(state.range(0));
  const auto & inputs = Inputs(slices);
  const auto   grid = ctp::PlanResampleGrid(inputs.Original, { 1.0, 1.0, 1.0 });
  for (auto _ : state)
  {
    auto resampled = ctp::ResampleHU(inputs.Original, grid, ctp::Interpolator::Linear);
    benchmark::DoNotOptimize(resampled->GetBufferPointer());
  }
  Count(state, slices, inputs.Original->GetLargestPossibleRegion().GetNumberOfPixels());
}

void
LungMask(benchmark::State & state)
{
  const auto   slices = static_cast<unsigned int>(state.range(0));
  const auto & inputs = Inputs(slices);
  for (auto _ : state)
  {
    auto mask = ctp::LungMaskImageFilter::New();
    mask->SetInput(inputs.Resampled);
    mask->SetComputeBodyMask(true);
    mask->Update();
    benchmark::DoNotOptimize(mask->GetOutput()->GetBufferPointer());
  }
  Count(state, slices, inputs.Resampled->GetLargestPossibleRegion().GetNumberOfPixels());
}

void
NormalizeZeroCenter(benchmark::State & state)
{
  const auto   slices = static_cast<unsigned int>(state.range(0));
  const auto & inputs = Inputs(slices);
  for (auto _ : state)
  {
    auto normalize = ctp::NormalizeImageFilter<ctp::HUImageType, ctp::FloatImageType>::New();
    normalize->SetInput(inputs.Resampled);
    auto center = ctp::ZeroCenterImageFilter<ctp::FloatImageType>::New();
    center->SetInput(normalize->GetOutput());
    center->InPlaceOn();
    center->Update();
    benchmark::DoNotOptimize(center->GetOutput()->GetBufferPointer());
  }
  Count(state, slices, inputs.Resampled->GetLargestPossibleRegion().GetNumberOfPixels());
}

void
Surfaces(benchmark::State & state)
{
  const auto   slices = static_cast<unsigned int>(state.range(0));
  const auto & inputs = Inputs(slices);
  for (auto _ : state)
  {
    const auto bone = ctp::SurfaceExtractor::FromHU(inputs.Resampled, 400.0, {}, inputs.Body);
    const auto lungs = ctp::SurfaceExtractor::FromLabels(inputs.Labels, { 1, 2 }, {});
    state.counters["triangles"] = double(bone.Triangles + lungs.Triangles);
  }
  Count(state, slices, inputs.Resampled->GetLargestPossibleRegion().GetNumberOfPixels());
}

void
Writers(benchmark::State & state)
{
  const auto   slices = static_cast<unsigned int>(state.range(0));
  const auto & inputs = Inputs(slices);
  const auto   bone = ctp::SurfaceExtractor::FromHU(inputs.Resampled, 400.0, {}, inputs.Body);
  auto         normalize = ctp::NormalizeImageFilter<ctp::HUImageType, ctp::FloatImageType>::New();
  normalize->SetInput(inputs.Resampled);
  const fs::path out = WorkDirectory() / ("writers-" + std::to_string(slices));
  fs::create_directories(out);
  for (auto _ : state)
  {
    ctp::WriteVolume(inputs.Resampled.GetPointer(), (out / "hu.nrrd").string());
    ctp::WriteVolume(inputs.Labels.GetPointer(), (out / "lungmask.nrrd").string());
    ctp::WriteNpyStreamed(normalize.GetPointer(), (out / "input.npy").string());
    ctp::WriteStl(bone.Mesh, (out / "bone.stl").string(), "bone");
  }
  size_t bytes = 0;
  for (const auto & entry : fs::directory_iterator(out))
  {
    bytes += fs::file_size(entry.path());
  }
  state.counters["bytes_per_s"] = benchmark::Counter(double(bytes), benchmark::Counter::kIsIterationInvariantRate);
  Count(state, slices, inputs.Resampled->GetLargestPossibleRegion().GetNumberOfPixels());
  fs::remove_all(out);
}

void
Sizes(benchmark::internal::Benchmark * benchmark)
{
  for (const int slices : { 100, 200, 300, 400, 500 })
  {
    benchmark->Arg(slices);
  }
  benchmark->Unit(benchmark::kMillisecond)->UseRealTime();
}
} // namespace

BENCHMARK(SeriesRead)->Apply(Sizes);
BENCHMARK(HUConvert)->Apply(Sizes);
BENCHMARK(Resample)->Apply(Sizes);
BENCHMARK(LungMask)->Apply(Sizes);
BENCHMARK(NormalizeZeroCenter)->Apply(Sizes);
BENCHMARK(Surfaces)->Apply(Sizes);
BENCHMARK(Writers)->Apply(Sizes);

BENCHMARK_MAIN();
