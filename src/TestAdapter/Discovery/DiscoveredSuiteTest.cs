using DeviceTest.Framework.Suites;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>A <c>[DeviceTest]</c> method and the test case that stands for it.</summary>
internal sealed record DiscoveredSuiteTest(SuiteTestDescriptor Test, TestCase TestCase);
